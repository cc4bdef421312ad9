"""Geofences: validated GeoJSON polygons and a cached spatial index for point-in-fence tests."""
