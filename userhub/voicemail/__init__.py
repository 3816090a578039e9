"""Settings > Calling > Voicemail: voicemail settings, greetings and the voicemail PIN."""
