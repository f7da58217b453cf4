"""kg's version, in one place (the package, the build fingerprint and the CLI read it)."""

__version__ = "0.1.0"
