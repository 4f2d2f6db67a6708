"""stub"""
def appropriation(ctx): raise NotImplementedError
def equity(ctx): raise NotImplementedError
