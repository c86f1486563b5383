"""Page tests use the root fixtures: the standing cast (`people`) and `client_for`."""
