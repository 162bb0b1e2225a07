/**
 * Object storage for archives and exports: {@link io.ssmd.storage.ObjectStore} with a local-directory
 * implementation ({@link io.ssmd.storage.LocalObjectStore}) and an S3-compatible one
 * ({@link io.ssmd.storage.S3ObjectStore}), both verifying size and SHA-256 of what they store, and
 * {@link io.ssmd.storage.Uploader}, which moves finished files into a store with retries and resumes
 * after a restart without sending again what is already there. {@link io.ssmd.storage.ObjectStores}
 * opens a store from configuration values.
 */
package io.ssmd.storage;
