package io.ssmd.agent.testsignals;

/** A class that does not implement the SPI, for the loader's error. */
public final class NotASignal {}
