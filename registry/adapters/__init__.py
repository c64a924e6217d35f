"""Adapters to the outside world: database, key files, file store, LibreOffice, PDF, DOCX, QR,
spreadsheets, job queues. They import the domain and the settings, never a use case.
"""
