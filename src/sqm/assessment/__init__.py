"""The 13+N assessment (考核评价): accountability, scorecards and rankings for the 13 branches and
the provincial departments, and the monthly service quality report."""
