/** ssmd gateway. */
package io.ssmd.gateway;
