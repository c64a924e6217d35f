"""Alembic migrations for the registry schema.

Shipped inside the package so that ``satupintu init`` finds them after a plain install.
"""
