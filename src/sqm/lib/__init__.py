"""Helpers every app shares: periods, Excel workbooks, the chart theme, number formats and the
active language. A module here imports no SQM app, so any app (and any computational core, for
the Django-free modules) may import it; docs/where-things-live.md lists what lives where."""
