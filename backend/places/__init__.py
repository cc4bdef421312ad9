"""Places people pick: the packaged gazetteer, saved addresses, and the map's tile configuration."""
