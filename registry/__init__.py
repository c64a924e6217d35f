"""Satu Pintu registry: the pure domain (numbering, JP rules, canonical records, tokens) and its persistence."""
