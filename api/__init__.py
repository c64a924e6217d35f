"""HTTP API of Satu Pintu (Litestar)."""
