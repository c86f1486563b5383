"""Complaint tracing (投诉溯源): signals from every source, tracing cases, effect evaluation."""
