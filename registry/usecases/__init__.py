"""Use cases: the registry's operations, composed of domain rules and adapters."""
