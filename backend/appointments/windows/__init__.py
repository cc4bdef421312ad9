"""A mine's time windows: opening them from the mine's template, seats, capacity, listing and suggestions."""
