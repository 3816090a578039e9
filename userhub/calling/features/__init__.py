"""One module per calling feature; importing this package registers them all (order = overview order)."""

from . import (  # noqa: F401
    anonymous_call_rejection,
    barge_in,
    block_caller_id,
    call_forwarding,
    call_notify,
    call_waiting,
    do_not_disturb,
    executive,
    executive_assistant,
    hoteling,
    priority_alert,
    selective,
    sequential_ring,
    simultaneous_ring,
    single_number_reach,
)
