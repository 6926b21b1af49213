"""System dynamics: the slow stocks of a health economy, advanced a month at a time.

Population (age band × number of long-term conditions), GP workforce and money change over years,
and their flows are *linear within a month*: people age, die, migrate and gather conditions at
rates that are fixed for the month; recruits pass through a pipeline delay; funding passes through
a commissioning delay. So every stock-and-flow structure here is one :class:`LinearStocks`, a
system ``dx/dt = Q x + u`` whose rates and inputs are held constant over each step and which is
integrated *exactly* by the matrix exponential (``scipy.linalg.expm``), not by Euler steps: a
delay's step response is exact, and mass balance holds to rounding because every outflow ends in
an explicit sink stock (deaths, emigrants, leavers, spent money). The engine couples in each month:
it reads capacities from the stocks and hands back pressures, which set next month's rates.
"""
