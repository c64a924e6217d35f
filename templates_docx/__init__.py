"""The shipped DOCX templates and their assets, installed with the package as data.

This package holds no code the service imports: :data:`registry.settings.BUNDLED_TEMPLATES_DIR`
finds these files through ``importlib.resources``, so they are found in a repository checkout and
in an installed wheel alike. The builder scripts beside them (``build_templates.py``,
``render_samples.py``, ``docx_*.py``) are run as scripts from the repository.
"""
