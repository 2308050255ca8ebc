"""Screen parts of campaigns: quotes, pre-orders, the maker studio and campaign moderation."""
