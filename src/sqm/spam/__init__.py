"""Spam-SMS governance (R7): a model flags senders, a human reviews every case, a confirmed case
suspends the number's service, the owner may appeal, and reviewer decisions train the next model."""
