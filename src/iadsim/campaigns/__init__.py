"""Monte Carlo campaigns: replications over sweep points and uncertainty designs, on any workers,
with statistics and reports."""
