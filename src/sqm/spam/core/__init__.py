"""The spam domain's computational core: text features and model, sender risk, the case
workflow and the quality metrics. Plain Python and NumPy (scikit-learn for training only);
no Django, no database."""
