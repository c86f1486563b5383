"""Pure rules: no Django, tested as plain functions."""
