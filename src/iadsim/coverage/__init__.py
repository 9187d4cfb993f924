"""Coverage: where radars detect a target (Pd maps, vertical diagrams, detection boundaries),
computed through the same sensor chain as the simulation."""
