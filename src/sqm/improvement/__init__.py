"""Improvement management (改进管理): service meetings whose decisions become action items,
follow-up to closure with escalation, focus-problem projects run as PDCA, go-live tests of new
products."""
