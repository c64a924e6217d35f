"""Satu Pintu registry: the pure domain and its persistence.

Numbering, JP rules, canonical records and tokens are plain functions over plain data;
``registry.db`` holds the SQLAlchemy side.
"""
