import { assertAlmostEquals, assertEquals, assertThrows } from "../assert.ts";
import { DeviceCounters } from "../../lib/devices/counters.ts";

Deno.test("counters: totals, energy per event, unknown energy is null not zero", () => {
  const c = new DeviceCounters(3, { pulseJ: 1e-12, programJ: null, readJ: 2e-15 });
  c.addPulses(0, 4);
  c.addPulses(2, 1);
  c.reads += 6;
  let e = c.energy();
  assertAlmostEquals(e.pulsesJ!, 5e-12, 1e-24);
  assertAlmostEquals(e.readsJ!, 12e-15, 1e-27);
  assertEquals(e.programsJ, 0, "no programming event yet: 0 J, known");
  assertAlmostEquals(e.totalJ!, 5.012e-12, 1e-24);
  c.addProgram(1, true);
  e = c.energy();
  assertEquals(e.programsJ, null);
  assertEquals(e.totalJ, null);
  assertEquals(c.totalFailures(), 1);
  c.addEnergy(1e-9);
  assertEquals(c.energy().extraJ, 1e-9);
  assertThrows(() => c.addEnergy(-1), RangeError);
  const s = c.snapshot();
  c.reset();
  assertEquals(c.totalPulses(), 0);
  c.restore(s);
  assertEquals(c.totalPulses(), 5);
  assertEquals(c.totalPrograms(), 1);
});
