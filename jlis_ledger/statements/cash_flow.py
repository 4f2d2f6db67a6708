"""stub"""
def cash_flow(ctx): raise NotImplementedError
