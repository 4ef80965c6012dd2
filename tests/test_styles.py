"""Styles as data: bundled styles, inheritance, validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from convert.model.errors import StyleError
from convert.plan.styles import ROLES, available_styles, bundled_styles_dir, load_style


def test_bundled_styles_load_and_inherit() -> None:
    names = [name for name, _ in available_styles()]
    assert {"base", "briefing", "compact"} <= set(names)
    base, briefing, compact = (load_style(n) for n in ("base", "briefing", "compact"))
    assert briefing.label == "BRIEFING" and base.label == ""
    assert briefing.colors["accent"] == "#8b1a1a"
    assert briefing.colors["link"] == base.colors["link"]  # inherited
    assert briefing.name == "briefing" and briefing.description != base.description
    assert compact.page["size"] == "Letter" and compact.page_size_mm == (215.9, 279.4)
    assert base.page_size_mm == (210.0, 297.0)
    assert compact.layout["article_break"] == "flow"
    assert base.fonts["body_cjk"] == "WenQuanYi Zen Hei"
    assert base.font_files["WenQuanYi Zen Hei"].subfont == 0


def test_default_style_is_briefing() -> None:
    assert load_style(None).name == "briefing"


def test_style_by_path_extends_a_bundled_style(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'extends = "briefing"\nlabel = "FOR THE BOARD"\n[roles.body]\nsize = 12\n', "utf-8"
    )
    style = load_style(str(path))
    assert style.name == "mine"
    assert style.label == "FOR THE BOARD"
    assert style.roles["body"].size == 12.0
    assert style.roles["body"].color == "#1a1a1a"  # the palette name, resolved
    assert style.roles["title"].size == 22.0  # briefing's own, inherited
    assert style.colors["accent"] == "#8b1a1a"


def test_header_and_footer_placeholders() -> None:
    style = load_style("briefing")
    assert style.header_text(collection_title="Week 12", section="World") == "Week 12 — World"
    assert style.header_text(collection_title="Week 12") == "Week 12"
    assert style.footer == "{page_of_pages}"  # the document plan puts in the words


def test_every_role_of_the_plan_has_typography_in_every_bundled_style() -> None:
    for name, _ in available_styles():
        style = load_style(name)
        assert set(style.roles) == set(ROLES), name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('extends = "base"\nbogus = 1\n', "unknown key 'bogus'"),
        (
            'extends = "base"\n[roles.body]\nsize = "big"\n',
            "roles.body.size must be float, not str",
        ),
        (
            'extends = "base"\n[roles.body]\nsize = 900\n',
            "roles.body.size must be between 1 and 200 points",
        ),
        (
            'extends = "base"\n[roles.body]\ncolor = "plum"\n',
            "roles.body.color must name a colour in [colors] or look like #1a2b3c",
        ),
        (
            'extends = "base"\n[roles.body]\nalign = "middle"\n',
            "roles.body.align must be one of left, center, right, justify",
        ),
        (
            'extends = "base"\n[roles.body]\nfont = "fancy"\n',
            "roles.body.font must be one of body, heading, mono",
        ),
        (
            'extends = "base"\n[roles.marquee]\nsize = 9\n',
            "unknown role roles.marquee (known: " + ", ".join(ROLES) + ")",
        ),
        ('extends = "base"\n[roles.body]\nwobble = 1\n', "unknown key roles.body.wobble"),
        (
            'extends = "base"\n[measures]\nlist_indent = -4\n',
            "measures.list_indent must be between 0 and 1000",
        ),
        ('extends = "base"\n[page]\nsize = "A5"\n', "page.size must be one of A4, Letter"),
        (
            'extends = "base"\n[colors]\ntext = "red"\n',
            "colors.text must look like #1a2b3c, not 'red'",
        ),
        (
            'extends = "base"\n[header]\ntext = "{nope}"\n',
            "header.text has unknown placeholder {nope} (known: article_title, collection_title, issue, marking, page, page_of_pages, pages, section, source)",
        ),
        (
            'extends = "base"\n[layout]\narticle_break = "sometimes"\n',
            "layout.article_break must be 'page' or 'flow'",
        ),
        ("[colors]\ntext = '#000000'\n", "missing page.size (does it extend 'base'?)"),
        (
            'extends = "base"\n[roles.body]\nsize = 0.5\n',
            "roles.body.size must be between 1 and 200 points",
        ),
        (
            'extends = "base"\n[roles.body]\nsize = 200.5\n',
            "roles.body.size must be between 1 and 200 points",
        ),
        (
            'extends = "base"\n[measures]\nlist_indent = 1000.5\n',
            "measures.list_indent must be between 0 and 1000",
        ),
        (
            'extends = "base"\n[typography]\nhyphenate_min_word = 0\n',
            "typography.hyphenate_min_word must be between 1 and 20",
        ),
        (
            'extends = "base"\n[typography]\nhyphenate_left = 21\n',
            "typography.hyphenate_left must be between 1 and 20",
        ),
        ('extends = "base"\npage = 3\n', "[page] must be a table"),
        ('extends = "base"\n[page]\nwidth = 3\n', "unknown key page.width"),
        (
            'extends = "base"\n[font_files.Mine]\nbold = "m.ttf"\n',
            "font_files.'Mine' needs a 'regular' file",
        ),
        (
            'extends = "base"\n[font_files.Mine]\nregular = "m.ttf"\nheavy = "h.ttf"\n',
            "unknown key font_files.'Mine'.heavy",
        ),
        (
            'extends = "base"\n[script_fonts]\nrunic = "Nowhere Sans"\n',
            "script_fonts.runic names 'Nowhere Sans', which has no [font_files] entry",
        ),
        ('extends = "base"\nscript_fonts = 3\n', "[script_fonts] must be a table"),
        (
            'extends = "base"\n[layout]\narticle_break = "Flow"\n',
            "layout.article_break must be 'page' or 'flow'",
        ),
        (
            'extends = "nothere"\n',
            "extends 'nothere': no style named 'nothere' (bundled styles: base, briefing, compact)",
        ),
        (
            "this is = not toml [",
            "invalid TOML: Expected '=' after a key in a key/value pair (at line 1, column 6)",
        ),
        (
            'extends = "base"\n[roles.body]\nspace_after = 1000.5\n',
            "roles.body.space_after must be between 0 and 1000",
        ),
    ],
)
def test_invalid_styles_are_refused_naming_the_file(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, "utf-8")
    with pytest.raises(StyleError) as caught:
        load_style(str(path))
    assert str(caught.value) == f"{path}: {message}"  # one line naming the style file


def test_inheritance_loops_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n', "utf-8")
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n', "utf-8")
    with pytest.raises(StyleError) as caught:
        load_style(str(tmp_path / "a.toml"))
    assert str(caught.value) == f"{tmp_path / 'a.toml'}: style inheritance loops: a -> b -> a"


def test_unknown_style_name_lists_the_bundled_ones() -> None:
    with pytest.raises(StyleError, match="bundled styles: base, briefing, compact"):
        load_style("fancy")


def test_bundled_styles_dir_is_the_source_tree_styles_folder() -> None:
    assert (bundled_styles_dir() / "base.toml").is_file()


def test_loading_the_same_files_again_gives_the_same_style_and_a_change_a_new_one(
    tmp_path: Path,
) -> None:
    assert load_style(None) is load_style(None)  # writers' per-style caches hold across calls
    assert load_style("compact") is not load_style(None)
    path = tmp_path / "mine.toml"
    path.write_text('extends = "base"\nname = "mine"\n[colors]\ntext = "#111111"\n')
    first = load_style(path)
    assert load_style(path) is first
    path.write_text('extends = "base"\nname = "mine"\n[colors]\ntext = "#222222"\n\n')
    second = load_style(path)
    assert second is not first and second.colors["text"] == "#222222"


def test_a_style_beside_a_manifest_named_like_its_parent_extends_the_bundled_one(
    tmp_path: Path,
) -> None:
    """``briefing.toml`` is the usual name of a manifest; a style beside it that extends
    "briefing" means the bundled style, not the manifest."""
    (tmp_path / "briefing.toml").write_text(
        'title = "Morning"\n[outputs]\npdf = "m.pdf"\n[[section]]\ntitle = "A"\n'
        'sources = ["a.txt"]\n',
        encoding="utf-8",
    )
    mine = tmp_path / "mine.toml"
    mine.write_text('extends = "briefing"\n[roles.title]\nsize = 30.0\n', encoding="utf-8")
    style = load_style(mine)
    assert style.roles["title"].size == 30.0 and style.label == "BRIEFING"


@pytest.mark.parametrize(
    "content",
    [
        "[roles.body]\nsize = 1.0\n",
        "[roles.body]\nsize = 200.0\n",
        "[measures]\nlist_indent = 0.0\n",
        "[measures]\nlist_indent = 1000.0\n",
        "[typography]\nhyphenate_min_word = 1\nhyphenate_right = 20\n",
        "[roles.body]\nspace_after = 1000.0\nleft_indent = 0.0\n",
    ],
)
def test_numbers_at_the_edge_of_their_range_are_accepted(tmp_path: Path, content: str) -> None:
    path = tmp_path / "edge.toml"
    path.write_text(f'extends = "base"\n{content}', "utf-8")
    load_style(str(path))


def test_a_style_without_a_name_is_named_by_its_file_and_colours_resolve(tmp_path: Path) -> None:
    path = tmp_path / "house.toml"
    path.write_text(
        'extends = "base"\n[colors]\naccent = "#aa1122"\n'
        '[roles.title]\ncolor = "accent"\n[roles.body]\ncolor = "#102030"\n',
        "utf-8",
    )
    style = load_style(str(path))
    assert style.name == "house"
    assert style.roles["title"].color == "#aa1122"  # a name from [colors], as this file sets it
    assert style.roles["body"].color == "#102030"  # a colour as it is


def test_a_style_finds_fonts_in_its_own_fonts_folder_first(tmp_path: Path) -> None:
    from convert.media.fonts import find_font_file

    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "House-Sans.ttf").write_bytes(b"not read here")
    path = tmp_path / "house.toml"
    path.write_text('extends = "base"\n[font_files."House Sans"]\nregular = "House-Sans.ttf"\n')
    style = load_style(str(path))
    assert (
        find_font_file("House-Sans.ttf", style.search_dirs) == tmp_path / "fonts" / "House-Sans.ttf"
    )
    assert find_font_file("DejaVuSans.ttf", style.search_dirs) is not None  # the system's


def test_a_style_extends_a_file_beside_it_wherever_the_build_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    house = tmp_path / "house"
    (house / "parts").mkdir(parents=True)
    (house / "parts" / "colours.toml").write_text(
        'extends = "base"\n[colors]\ntext = "#123456"\n', encoding="utf-8"
    )
    (house / "mine.toml").write_text('extends = "parts/colours.toml"\n', encoding="utf-8")
    (house / "near.toml").write_text('extends = "near-parent.toml"\n', encoding="utf-8")
    (house / "near-parent.toml").write_text(
        'extends = "base"\n[colors]\ntext = "#654321"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)  # not the styles' folder
    assert load_style(house / "mine.toml").colors["text"] == "#123456"
    assert load_style(house / "near.toml").colors["text"] == "#654321"
    (house / "bare.toml").write_text('extends = "parts/colours"\n', encoding="utf-8")
    with pytest.raises(StyleError) as missing:  # a path names a file as it is: no .toml added
        load_style(house / "bare.toml")
    assert str(missing.value) == (
        f"{house / 'bare.toml'}: extends 'parts/colours': style file not found"
    )
    (house / "windows.toml").write_text('extends = "parts\\\\colours.txt"\n', encoding="utf-8")
    with pytest.raises(StyleError, match="style file not found"):
        load_style(house / "windows.toml")


@pytest.mark.parametrize(
    "manifest",
    [
        'title = "Morning"\n[[section]]\ntitle = "A"\nsources = ["a.txt"]\n',
        'title = "Morning"\n[outputs]\npdf = "m.pdf"\n',
    ],
)
def test_a_manifest_of_sections_or_of_outputs_alone_is_not_taken_for_a_style(
    tmp_path: Path, manifest: str
) -> None:
    (tmp_path / "briefing.toml").write_text(manifest, encoding="utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text('extends = "briefing"\n', encoding="utf-8")
    assert load_style(mine).label == "BRIEFING"  # the bundled style


def test_a_name_starting_or_ending_in_x_survives_the_headers_tidying() -> None:
    from convert.plan.styles import fill_template

    values = {"source": "Xinhua", "collection_title": "Week of SpaceX", "section": ""}
    assert fill_template("{source} | {collection_title} — {section}", values) == (
        "Xinhua | Week of SpaceX"
    )


def test_two_style_files_of_one_size_and_time_are_told_apart_by_their_place(
    tmp_path: Path,
) -> None:
    import os

    first, second = tmp_path / "one" / "house.toml", tmp_path / "two" / "house.toml"
    for path, colour in ((first, "#111111"), (second, "#222222")):
        path.parent.mkdir()
        path.write_text(f'extends = "base"\n[colors]\ntext = "{colour}"\n', encoding="utf-8")
        os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    assert load_style(first).colors["text"] == "#111111"
    assert load_style(second).colors["text"] == "#222222"


def test_a_changed_parent_style_is_read_again(tmp_path: Path) -> None:
    parent, child = tmp_path / "parent.toml", tmp_path / "child.toml"
    parent.write_text('extends = "base"\n[colors]\ntext = "#111111"\n', encoding="utf-8")
    child.write_text('extends = "parent.toml"\n', encoding="utf-8")
    assert load_style(child).colors["text"] == "#111111"
    parent.write_text('extends = "base"\n[colors]\ntext = "#333333"\n\n', encoding="utf-8")
    assert load_style(child).colors["text"] == "#333333"


def test_a_style_file_names_and_describes_itself_and_inherits_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "house-2026.toml"
    path.write_text(
        'extends = "briefing"\nname = "house"\n[script_fonts]\nhebrew = "DejaVu Sans"\n',
        encoding="utf-8",
    )
    style = load_style(path)
    assert (style.name, style.description, style.label) == ("house", "", "BRIEFING")
    assert style.script_fonts["hebrew"] == "DejaVu Sans"
    assert load_style("base").label == ""  # no label: none printed


def test_a_style_of_its_own_must_give_every_setting_of_a_role(tmp_path: Path) -> None:
    base = (bundled_styles_dir() / "base.toml").read_text("utf-8")
    path = tmp_path / "alone.toml"
    path.write_text(base.replace("space_after = 6.0\n", "", 1), encoding="utf-8")
    with pytest.raises(StyleError) as caught:
        load_style(path)
    assert str(caught.value) == f"{path}: missing roles.body.space_after"


def test_a_style_file_not_found_is_named_and_a_style_says_what_it_is(tmp_path: Path) -> None:
    with pytest.raises(StyleError) as missing:
        load_style("elsewhere/house.toml")
    assert str(missing.value) == "elsewhere/house.toml: style file not found"
    path = tmp_path / "house.toml"
    path.write_text('extends = "base"\ndescription = "Our house style"\n', encoding="utf-8")
    assert load_style(path).description == "Our house style"


def test_a_style_of_its_own_must_have_every_role(tmp_path: Path) -> None:
    base = (bundled_styles_dir() / "base.toml").read_text("utf-8")
    start = base.index("[roles.label]")
    end = base.index("\n[", start + 1)
    path = tmp_path / "alone.toml"
    path.write_text(base[:start] + base[end + 1 :], encoding="utf-8")
    with pytest.raises(StyleError) as caught:
        load_style(path)
    assert str(caught.value) == f"{path}: missing roles.label (does it extend 'base'?)"
