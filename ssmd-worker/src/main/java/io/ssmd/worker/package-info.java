/** ssmd worker. */
package io.ssmd.worker;
