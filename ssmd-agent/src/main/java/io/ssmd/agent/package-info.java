/** ssmd agent. */
package io.ssmd.agent;
