"""Administration: users, the add-users wizard, locations and numbers, invitations, deletion, imports, billing, audit."""
