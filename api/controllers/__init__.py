"""One controller per resource; each handler calls the registry and converts the answer."""
