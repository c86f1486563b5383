"""The synthetic demo province: realistic events for all ten sources, with planted incidents.

Entry point: :func:`sqm.demo.core.generator.generate_month`.
"""
