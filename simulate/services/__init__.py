"""The tiers of care, one module each: general practice, the federation hub, the acute trust."""
