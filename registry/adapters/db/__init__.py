"""Persistence: the SQLAlchemy schema, engines and the transactional operations on them."""
