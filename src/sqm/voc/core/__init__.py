"""The customer-satisfaction core: PLS path models, driver analysis, gaps. NumPy only."""
