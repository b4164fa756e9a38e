// <MicSelector>: a native <select> of the microphones. It shows the one in use while recording (from the track's
// settings, the source of truth), switches while recording without losing what was recorded, and remembers the
// choice. Names appear once the page may use the microphone; it never asks for permission itself.
import type { AudioDevice, MediaDevicesApi, RecorderApi } from '@elevenkit/core';
import { useEffect, useState, type ComponentPropsWithoutRef } from 'react';
import { classNames, composeHandlers } from './compose.ts';
import { useOptionalRecorder, useRecorderSelector } from './recorder-context.ts';
import { useMediaDevices } from '../use-media-devices.ts';

export interface MicSelectorProps extends Omit<
  ComponentPropsWithoutRef<'select'>,
  'children' | 'value' | 'defaultValue'
> {
  /** A devices store to share (from `useMediaDevices().store`); default: its own. */
  devices?: MediaDevicesApi;
  /** The recorder to switch (prop or <Recorder.Root>); without one the choice is remembered for the next recording. */
  recorder?: RecorderApi;
  /** The select's accessible name (default "Microphone"); with a visible label, pass `aria-labelledby` instead. */
  label?: string;
  /** The system default's option (default "System default"). */
  defaultLabel?: string;
  /** A device's name before the page may read names: "Microphone 2" by default. */
  unnamed?: (index: number) => string;
  /**
   * Called when switching while recording fails (the recording goes on with the microphone it had). By default the
   * error's sentence shows after the select, as an alert.
   */
  onSwitchError?: (error: Error) => void;
}

/** Chromium lists the system default twice: as `default` ("Default - Name") and under its own id. */
const DEFAULT_PREFIX = /^Default\s*-\s*/;

/**
 * The microphones in a native select. `data-state` is the recorder's status (or `idle`); `data-permission` the
 * page's microphone permission. Changing it while recording switches the recorder's input on the fly.
 */
export function MicSelector({
  devices: devicesProp,
  recorder: recorderProp,
  label = 'Microphone',
  defaultLabel = 'System default',
  unnamed = (index) => `Microphone ${index + 1}`,
  onSwitchError,
  onChange,
  ...rest
}: MicSelectorProps) {
  const [switchError, setSwitchError] = useState<string | null>(null);
  const recorder = useOptionalRecorder(recorderProp);
  const status = useRecorderSelector(recorder, (s) => s.status, 'idle');
  const inUse = useRecorderSelector(recorder, (s) => s.deviceId, null);
  const inUseLabel = useRecorderSelector(recorder, (s) => s.deviceLabel, null);
  const { devices, permission, selected, select, refresh } = useMediaDevices(devicesProp);
  const live = status === 'recording' || status === 'paused';

  // Once recording, the page may read device names: list them again.
  useEffect(() => {
    if (live) void refresh();
  }, [live, refresh]);

  const systemDefault = devices.find((device) => device.deviceId === 'default');
  const listed: AudioDevice[] = devices.filter((device) => device.deviceId && device.deviceId !== 'default');
  // The device in use while recording; otherwise the remembered choice.
  const value = live && inUse ? (inUse === 'default' ? '' : inUse) : selected;
  if (value && !listed.some((device) => device.deviceId === value)) {
    listed.push({ deviceId: value, label: (live && inUseLabel) || '', groupId: '' });
  }
  const defaultName = systemDefault?.label
    ? `${defaultLabel} (${systemDefault.label.replace(DEFAULT_PREFIX, '')})`
    : defaultLabel;

  const choose = (deviceId: string) => {
    select(deviceId);
    setSwitchError(null);
    // While recording this switches the input; otherwise the recorder uses it next time.
    recorder?.setDevice(deviceId).catch((error: Error) => {
      if (onSwitchError) onSwitchError(error);
      else setSwitchError(error.message);
    });
  };

  return (
    <>
      <select
        aria-label={rest['aria-labelledby'] ? undefined : label}
        {...rest}
        className={classNames('ek-select', 'ek-mic-selector', rest.className)}
        value={value}
        data-state={status}
        data-permission={permission}
        onChange={composeHandlers(onChange, (event) => choose(event.currentTarget.value))}
      >
        <option value="">{defaultName}</option>
        {listed.map((device, index) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || unnamed(index)}
          </option>
        ))}
      </select>
      {switchError && (
        <span role="alert" className="ek-mic-selector-error">
          {switchError}
        </span>
      )}
    </>
  );
}
