"""Pure rules: plain functions and frozen data over plain data.

No I/O, no SQLAlchemy, no Litestar; nothing here imports another part of the project.
"""
