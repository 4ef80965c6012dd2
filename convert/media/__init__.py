"""The media layer: bytes from outside — pictures checked and scaled, URLs fetched, files
written atomically. Imports only the model."""
