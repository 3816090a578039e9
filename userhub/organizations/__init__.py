"""Customer organizations, their locations, number pools and the packages they buy."""
