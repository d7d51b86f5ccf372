"""A minimal inference service: reports the device torch computes on."""
from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
def health() -> dict:
    import torch

    return {"cuda": torch.cuda.is_available(), "torch": torch.__version__}
