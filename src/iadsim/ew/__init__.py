"""Electronic warfare: noise jammers, their effect on radars, strobes and triangulation."""
