"""stub"""
def fixed_assets(ctx): raise NotImplementedError
def provisions(ctx): raise NotImplementedError
def lease_debt(ctx): raise NotImplementedError
def aro(ctx): raise NotImplementedError
def reserves(ctx): raise NotImplementedError
def deferred_revenue(ctx): raise NotImplementedError
