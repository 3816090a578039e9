"""Where will my call go?: the routing evaluator, its panel, and loop checks when saving."""
