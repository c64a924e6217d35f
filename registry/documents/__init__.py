"""Turning registry records into files: DOCX templates, PDF conversion, QR stamping, storage."""
