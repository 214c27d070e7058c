/** The scenario generator: simulated worlds and their independently computed ground truth. */
package org.lifelongpulse.generator;
