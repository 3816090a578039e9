"""SIP: the call decision a SIP proxy (Kamailio, see kamailio/) asks for each incoming call, the SIP
servers allowed to ask, and people's SIP credentials (devices)."""
