"""What SQM's TM Forum Open APIs share (TMF621 Trouble Ticket, TMF656 Service Problem): the
NinjaAPI they are built on (authentication, schema access, TMF630 error body), field
selection, paging headers, ETag/If-Match, the base schema and the event hub (listener
registrations and delivery). Each API keeps its resources, mapping and writes in its app."""
