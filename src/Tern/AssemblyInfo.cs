// Assembly-wide attributes of the engine: locals are not zero-initialised on the hot path.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
