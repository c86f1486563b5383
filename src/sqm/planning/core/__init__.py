"""Planning's computational core (no Django): Erlang C and the discrete-event queue simulator."""
