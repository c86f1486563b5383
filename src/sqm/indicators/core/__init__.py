"""The computational core of the indicators: spec, semantic models, validation, engine, docs.

Plain modules: no Django, no database; Ibis over Parquet for the computing.
"""
