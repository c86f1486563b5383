"""Customer satisfaction (R8): the 19-factor study, a PLS satisfaction index, driver analysis
("fix the biggest-effect lowest-score factors first"), the SERVQUAL gap model and competitors."""
